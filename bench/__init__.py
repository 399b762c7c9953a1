"""`make bench`: the kit's speed, side by side with the nbgrader command a user would otherwise run."""
