"""Background jobs of the documents app (run eagerly in the embedded default)."""

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task

# File storage (S3, or a local disk) that is briefly away: tried again after about 1, 2, 4, 8,
# 16 and 32 minutes (with jitter), so an outage of up to an hour holds deliveries back, not
# loses them.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


@shared_task(
    acks_late=True,
    autoretry_for=STORAGE_ERRORS,
    max_retries=6,
    retry_backoff=60,
    retry_backoff_max=32 * 60,
    retry_jitter=True,
)
def deliver_packet_version(packet_id: int) -> int:
    """Deliver a newly published welcome packet version to every provider that had an earlier
    one; returns how many were delivered.

    Each delivery (letter, snapshot, email) commits on its own, so a failure holds back no one
    already delivered, and the job tried again delivers only to those still waiting.
    """
    # Imported here because the services module enqueues this job.
    from documents.models import WelcomePacket
    from documents.selectors import packet_recipients
    from documents.services import packet_deliver

    packet = WelcomePacket.objects.get(pk=packet_id)
    if not packet.is_current:
        return 0  # a later version was published before this job ran; that one is delivered
    delivered = 0
    for application in packet_recipients(packet):
        packet_deliver(application=application, packet=packet)
        delivered += 1
    return delivered
