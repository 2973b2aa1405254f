"""Name of the hook that adds items to the admin's "Mentoring" menu."""

MENTORING_MENU_HOOK = "register_mentoring_menu_item"
