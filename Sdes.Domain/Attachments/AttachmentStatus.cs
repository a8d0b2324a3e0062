namespace Sdes.Domain.Attachments;

/// <summary>Where a file is in the virus-scan lifecycle (spec 10.1(b)viii, 10.1(g), 14.4). Only Clean is ever downloadable.</summary>
public enum AttachmentStatus
{
    PendingScan,
    Clean,
    Infected,
    Unscannable,
}

/// <summary>The service a file belongs to; each has its own limits (<see cref="AttachmentPolicy"/>).</summary>
public enum AttachmentModule
{
    Communications,
    CrossedMeters,
    MeteringPointRequests,
}
