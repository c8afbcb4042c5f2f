from .cli import app

app(prog_name="wp-seo-bridge")
