from reviews.models.decisions import AcceptedItem, Deficiency, ReviewDecision
from reviews.models.work import InternalNote, ReviewWork

__all__ = ["AcceptedItem", "Deficiency", "InternalNote", "ReviewDecision", "ReviewWork"]
