"""Stories stage: group coverage of one event across outlets and mark syndicated copies.

Pure (no database, network or clock). ``StoryGrouper.add`` assigns one article at a time;
``restore`` rebuilds the grouper from stored memberships on start-up. ``GraphGrouper``
(``scorer="graph"``) is the order-independent design under evaluation (see ``graph.py``).
"""

from newsprism.stories.cluster import Assignment, OnlineGrouper, story_id_for
from newsprism.stories.graph import GraphGrouper
from newsprism.stories.settings import GroupingSettings

StoryGrouper = OnlineGrouper

__all__ = ["Assignment", "GraphGrouper", "GroupingSettings", "OnlineGrouper", "StoryGrouper", "story_id_for"]
