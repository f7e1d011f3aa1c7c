"""What every Claude (anthropic SDK) adapter shares: the retry and circuit-breaker policy."""
