from hr import audit  # noqa: F401  (its hook registers the HR workspace's log actions)
