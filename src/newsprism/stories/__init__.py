"""Stories stage: group coverage of one event across outlets and mark syndicated copies.

Pure (no database, network or clock). ``StoryGrouper.add`` links one article at a time into the
article graph and re-clusters the part it touches; ``restore`` rebuilds the grouper from stored
memberships on start-up. ``OnlineGrouper`` is the 0.1 single-pass grouper, kept for comparison.
"""

from newsprism.stories.cluster import Assignment, OnlineGrouper, story_id_for
from newsprism.stories.graph import GraphGrouper
from newsprism.stories.settings import GroupingSettings

StoryGrouper = GraphGrouper

__all__ = ["Assignment", "GraphGrouper", "GroupingSettings", "OnlineGrouper", "StoryGrouper", "story_id_for"]
