"""Where a project's inputs live: configuration, design paths, stories, rules, existing designs."""
