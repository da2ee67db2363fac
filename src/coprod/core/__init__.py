"""The pure core of Coprod: the paper's catalogue, the plan model and the decision aid.

Nothing here imports Django, the web app or the command line; an import-linter contract checks it.
"""
