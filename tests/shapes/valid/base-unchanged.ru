# the base graph itself
