namespace Sdes.Infrastructure.Persistence.Sequences;

/// <summary>The last number handed out for one reference prefix. One row per prefix.</summary>
public sealed class ReferenceSequence
{
    private ReferenceSequence() { }

    public ReferenceSequence(string prefix) => Prefix = prefix;

    public string Prefix { get; private set; } = string.Empty;
    public long LastNumber { get; private set; }
}
