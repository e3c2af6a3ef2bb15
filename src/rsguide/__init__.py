"""rsguide — 人社窗口办事指南查询工具 (a lookup tool for the counter staff of a 人社局)."""

__version__ = "0.1.0"
