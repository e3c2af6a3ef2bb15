"""`python -m rsguide` runs the same CLI as the `rsguide` command."""

from rsguide.cli.fastshow import main

if __name__ == "__main__":
    main()
