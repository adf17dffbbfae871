"""Building blocks the rules' examples share: a valid post and campaign to vary from."""

from __future__ import annotations

VALID_POST = """
title: LHC restarts
date: 2027-03-02 10:00
channel: twitter-cern
link: https://home.cern/news/lhc-restarts
hashtags: ["#LHC"]
"""
CAMPAIGN = """
title: Open Days
start: 2027-03-01
end: 2027-03-20
"""
QUESTION = """
title: GWTI question
date: 2027-03-05 16:00
channel: twitter-cern
series: gwti
link: https://home.cern/x
"""
# The Instagram feed publishes nothing without an image (SC313).
INSTAGRAM_MEDIA = "media: [{src: media/lhc.jpg, alt: The LHC tunnel}]\n"
