"""The custom install postback (devtodev): installs that attribute every later event."""

from postback.dialects.install_postback.dialect import InstallPostback

__all__ = ["InstallPostback"]
