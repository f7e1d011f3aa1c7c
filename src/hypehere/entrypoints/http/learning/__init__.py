"""`/learning`: the curriculum for a learner, progress, stats and reviews."""
