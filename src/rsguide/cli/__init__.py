"""The front ends: the command line (:mod:`.main`, :mod:`.argv`, :mod:`.app`) and the interactive
session (:mod:`.repl`), all built from the declarations of :mod:`.spec` and printing what
:mod:`rsguide.commands` returns (:mod:`.printer`)."""
