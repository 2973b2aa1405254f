"""Skills before and after: the skills a program develops, the participants' ratings and their change."""
