"""Checking the member files a provider returns to the plan (RTF, OTF) against their specs."""
