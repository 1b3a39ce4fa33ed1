"""Reads of the index, one module per page family; ``access`` holds the access helpers every view,
export and command goes through."""
