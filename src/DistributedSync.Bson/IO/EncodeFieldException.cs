namespace DistributedSync.Bson.IO;

/// <summary>
/// Raised inside the encoder's planning pass; the pass catches it once, at the top, and turns it
/// into an <see cref="ArgumentException"/> naming the path the plan recorded.
/// </summary>
#pragma warning disable CA1032, CA1064 // Internal, never escapes the encoder.
internal sealed class EncodeFieldException(string reason) : Exception(reason)
#pragma warning restore CA1032, CA1064
{
    /// <summary>What is wrong with the field.</summary>
    public string Reason { get; } = reason;

    /// <summary>The public exception, naming the dotted path of the field (empty for the document itself).</summary>
    public ArgumentException ToArgumentException(string path, string paramName)
        => path.Length == 0
            ? new ArgumentException($"The document cannot be encoded as BSON: {Reason}.", paramName)
            : new ArgumentException($"The field '{path}' cannot be encoded as BSON: {Reason}.", paramName);
}
