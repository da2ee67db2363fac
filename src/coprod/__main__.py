"""Allow ``python -m coprod``."""

from coprod.cli.app import main

if __name__ == "__main__":
    main()
