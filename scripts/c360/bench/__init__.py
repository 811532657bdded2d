"""``c360 bench``: the refresh against the cost of one pass over the landing zone."""
