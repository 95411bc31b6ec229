"""Email digests: subscribing by double opt-in, and a mail that says what changed in what the
reader follows since their last one."""
