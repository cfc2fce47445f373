namespace DistributedSync.Wire;

/// <summary>
/// The one exception raised for a malformed wire-protocol message: a bad header, a length that
/// disagrees with the bytes, unknown required flag bits, a bad section, a checksum mismatch, or
/// invalid BSON inside the message. <see cref="Offset"/> is the byte offset, from the first byte
/// of the message header, at which the problem was detected.
/// </summary>
public sealed class WireProtocolException : FormatException
{
    /// <summary>Creates the exception for a problem found at <paramref name="offset"/>.</summary>
    public WireProtocolException(long offset, string reason)
        : base(FormatMessage(offset, reason))
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Creates the exception with an inner cause (e.g. a <c>BsonFormatException</c>).</summary>
    public WireProtocolException(long offset, string reason, Exception inner)
        : base(FormatMessage(offset, reason), inner)
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Where the problem was found, in bytes from the start of the message.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset.</summary>
    public string Reason { get; }

    private static string FormatMessage(long offset, string reason)
        => $"Invalid wire protocol message at offset {offset}: {reason}";
}
