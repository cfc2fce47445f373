namespace DistributedSync.Bson;

/// <summary>
/// The one exception raised for malformed BSON bytes or malformed Extended JSON text.
/// <see cref="Offset"/> is the byte offset (binary) or character offset (JSON) at which the
/// problem was detected, relative to the start of the input handed to the decoder.
/// </summary>
public sealed class BsonFormatException : FormatException
{
    /// <summary>Creates the exception for a problem found at <paramref name="offset"/>.</summary>
    public BsonFormatException(long offset, string reason)
        : base($"Invalid BSON at offset {offset}: {reason}")
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public BsonFormatException(long offset, string reason, Exception inner)
        : base($"Invalid BSON at offset {offset}: {reason}", inner)
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Where the problem was found (bytes for binary input, characters for JSON).</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset.</summary>
    public string Reason { get; }
}
