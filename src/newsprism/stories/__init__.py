"""Stories stage: group coverage of one event across outlets and mark syndicated copies.

Pure (no database, network or clock). ``StoryGrouper.add`` assigns one article at a time;
``restore`` rebuilds the grouper from stored memberships on start-up.
"""

from newsprism.stories.cluster import Assignment, StoryGrouper, story_id_for
from newsprism.stories.settings import GroupingSettings

__all__ = ["Assignment", "GroupingSettings", "StoryGrouper", "story_id_for"]
