"""Names the command line needs when it starts (help texts, defaults), kept apart from the modules that
use them so that `fanpin --help` does not import those modules."""

SETTINGS_FILE = "fanpin.toml"
DEMO_HOUSEHOLDS = 320
CARD_TEMPLATE_NAME = "明白卡.docx"  # a workspace's own card template, in its templates folder
