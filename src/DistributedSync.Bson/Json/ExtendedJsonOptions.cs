namespace DistributedSync.Bson.Json;

/// <summary>How <see cref="ExtendedJson"/> writes text.</summary>
public sealed record ExtendedJsonWriterOptions
{
    /// <summary>Compact relaxed output, the default of the Extended JSON specification.</summary>
    public static ExtendedJsonWriterOptions Relaxed { get; } = new();

    /// <summary>Compact canonical output.</summary>
    public static ExtendedJsonWriterOptions Canonical { get; } = new() { Mode = ExtendedJsonMode.Canonical };

    /// <summary>Canonical or relaxed output (default relaxed).</summary>
    public ExtendedJsonMode Mode { get; init; } = ExtendedJsonMode.Relaxed;

    /// <summary>
    /// When true every object member and array element goes on its own line, indented by
    /// <see cref="IndentSize"/> spaces per level, with a space after each colon. When false
    /// (the default) the output has no insignificant whitespace at all.
    /// </summary>
    public bool Indented { get; init; }

    /// <summary>Spaces per nesting level when <see cref="Indented"/> (default 2, 0 to 16).</summary>
    public int IndentSize
    {
        get;
        init => field = value is >= 0 and <= 16 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The indent size must be between 0 and 16.");
    } = 2;
}

/// <summary>How <see cref="ExtendedJson"/> parses text.</summary>
public sealed record ExtendedJsonReaderOptions
{
    /// <summary>The defaults: legacy <c>$regex</c> and <c>$binary</c>/<c>$type</c> accepted, numeric <c>$date</c> rejected, depth 256.</summary>
    public static ExtendedJsonReaderOptions Default { get; } = new();

    /// <summary>
    /// Accept the two legacy wrappers that cannot be confused with query operators:
    /// <c>{"$regex": string, "$options": string}</c> (or <c>$regex</c> alone) as a regular
    /// expression, and <c>{"$binary": base64 string, "$type": hex string}</c> as binary data.
    /// A <c>$regex</c> whose value is not a string, or that sits beside other keys, and a
    /// <c>$type</c> without <c>$binary</c>, stay ordinary fields (query operators). Default true.
    /// </summary>
    public bool AllowLegacyWrappers { get; init; } = true;

    /// <summary>
    /// Accept the legacy <c>{"$date": &lt;integer milliseconds&gt;}</c>. The Extended JSON v2
    /// specification and its conformance corpus treat this as a parse error, so the default is false.
    /// </summary>
    public bool AllowNumericDates { get; init; }

    /// <summary>
    /// The deepest nesting of JSON objects and arrays accepted (default 256; the specification
    /// asks for at least 200 because wrappers double the apparent depth). Deeper input raises
    /// <see cref="BsonFormatException"/> instead of exhausting the stack.
    /// </summary>
    public int MaxDepth
    {
        get;
        init => field = value is >= 1 and <= 100_000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The maximum depth must be between 1 and 100000.");
    } = 256;
}
