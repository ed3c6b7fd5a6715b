"""The API's routers, one module per resource, and what they share (``core``); ``api.create_app`` puts
them together."""
