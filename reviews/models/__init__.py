from reviews.models.decisions import AcceptedItem, Deficiency, ReviewDecision
from reviews.models.exports import Export
from reviews.models.work import InternalNote, ReviewWork

__all__ = ["AcceptedItem", "Deficiency", "Export", "InternalNote", "ReviewDecision", "ReviewWork"]
