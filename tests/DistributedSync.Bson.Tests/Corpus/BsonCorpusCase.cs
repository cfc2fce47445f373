namespace DistributedSync.Bson.Tests.Corpus;

/// <summary>Which array of a bson-corpus file a case comes from.</summary>
public enum BsonCorpusCaseKind
{
    /// <summary>An entry of <c>valid[]</c>.</summary>
    Valid,

    /// <summary>An entry of <c>decodeErrors[]</c>: <c>bson</c> must fail to decode.</summary>
    DecodeError,

    /// <summary>An entry of <c>parseErrors[]</c>: <c>string</c> must fail to parse into the file's type.</summary>
    ParseError,
}

/// <summary>
/// One case of the MongoDB bson-corpus, with every field of the case and of its file. Absent
/// fields are null (or false for <see cref="Lossy"/>). Hex fields are kept as in the file;
/// <see cref="Hex"/> converts them.
/// </summary>
public sealed record BsonCorpusCase
{
    /// <summary>The file name, e.g. <c>binary.json</c>.</summary>
    public required string FileName { get; init; }

    /// <summary>The file's top-level <c>description</c>.</summary>
    public required string FileDescription { get; init; }

    /// <summary>The file's <c>bson_type</c> as written, e.g. <c>0x05</c> (<c>0x00</c> for whole-document files).</summary>
    public required string BsonType { get; init; }

    /// <summary>The file's <c>test_key</c>, when present.</summary>
    public string? TestKey { get; init; }

    /// <summary>The file's <c>deprecated</c> flag.</summary>
    public bool Deprecated { get; init; }

    /// <summary>Which array the case comes from.</summary>
    public required BsonCorpusCaseKind Kind { get; init; }

    /// <summary>The zero-based position within that array.</summary>
    public required int Index { get; init; }

    /// <summary>The case's <c>description</c>.</summary>
    public required string Description { get; init; }

    /// <summary><c>canonical_bson</c> (hex), valid cases.</summary>
    public string? CanonicalBson { get; init; }

    /// <summary><c>canonical_extjson</c> (Extended JSON text), valid cases.</summary>
    public string? CanonicalExtJson { get; init; }

    /// <summary><c>relaxed_extjson</c>, when present.</summary>
    public string? RelaxedExtJson { get; init; }

    /// <summary><c>degenerate_bson</c> (hex), when present.</summary>
    public string? DegenerateBson { get; init; }

    /// <summary><c>degenerate_extjson</c>, when present.</summary>
    public string? DegenerateExtJson { get; init; }

    /// <summary><c>converted_bson</c> (hex), when present.</summary>
    public string? ConvertedBson { get; init; }

    /// <summary><c>converted_extjson</c>, when present.</summary>
    public string? ConvertedExtJson { get; init; }

    /// <summary><c>lossy</c>: the Extended JSON cannot reproduce the canonical bytes.</summary>
    public bool Lossy { get; init; }

    /// <summary><c>bson</c> (hex), decode-error cases.</summary>
    public string? Bson { get; init; }

    /// <summary><c>string</c>, parse-error cases.</summary>
    public string? String { get; init; }

    /// <summary>The element type byte of <see cref="BsonType"/> (0 for whole-document files).</summary>
    public byte BsonTypeByte => Convert.ToByte(BsonType, 16);

    /// <summary>The stable id, <c>file.json#kind#index</c>, used as theory data.</summary>
    public string Id => BsonCorpus.FormatId(FileName, Kind, Index);

    /// <summary>Decodes a hex field; null stays null.</summary>
    public static byte[]? Hex(string? hex) => hex is null ? null : Convert.FromHexString(hex);

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Description})";
}
