"""Understanding what the clerk typed: normalisation, pinyin, concepts, ranking."""
