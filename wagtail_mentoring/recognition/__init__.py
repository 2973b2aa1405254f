"""Recognition: achievements and their celebrations, kudos, and completion certificates."""
