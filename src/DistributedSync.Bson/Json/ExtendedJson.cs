using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DistributedSync.Bson.Json;

/// <summary>
/// MongoDB Extended JSON v2: writes BSON values as canonical or relaxed text and parses either
/// form (plus a few legacy forms, see <see cref="ExtendedJsonReaderOptions"/>) back.
/// </summary>
/// <remarks>
/// <para>Parsing is strict RFC 8259 JSON: no comments, trailing commas, single quotes, bare
/// NaN/Infinity, unescaped control characters or unpaired surrogates. Key order is preserved and
/// duplicate keys are kept in order, as the binary decoder keeps them. Plain JSON numbers become
/// Int32 when integral and within its range, else Int64 when integral and within its range, else
/// Double (a fraction or exponent always means Double). Every problem raises
/// <see cref="BsonFormatException"/> with the offset of the offending text: UTF-16 characters for
/// string input, bytes for UTF-8 input.</para>
/// <para>Writing preserves field order. Strings escape only quote, backslash, control characters
/// (and, defensively, unpaired surrogates); other characters are written as they are.</para>
/// </remarks>
public static class ExtendedJson
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="value"/> as compact Extended JSON (relaxed by default, as the specification asks).</summary>
    public static string Write(BsonValue value, ExtendedJsonMode mode = ExtendedJsonMode.Relaxed)
        => Write(value, mode == ExtendedJsonMode.Canonical ? ExtendedJsonWriterOptions.Canonical : ExtendedJsonWriterOptions.Relaxed);

    /// <summary>Writes <paramref name="value"/> as Extended JSON with the given options (e.g. indented).</summary>
    public static string Write(BsonValue value, ExtendedJsonWriterOptions options)
    {
        using var buffer = Render(value, options);
        return buffer.ToString();
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 Extended JSON to <paramref name="utf8Output"/>.</summary>
    public static void Write(BsonValue value, IBufferWriter<byte> utf8Output, ExtendedJsonMode mode = ExtendedJsonMode.Relaxed)
        => Write(value, utf8Output, mode == ExtendedJsonMode.Canonical ? ExtendedJsonWriterOptions.Canonical : ExtendedJsonWriterOptions.Relaxed);

    /// <summary>Writes <paramref name="value"/> as UTF-8 Extended JSON to <paramref name="utf8Output"/> with the given options.</summary>
    public static void Write(BsonValue value, IBufferWriter<byte> utf8Output, ExtendedJsonWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(utf8Output);
        using var buffer = Render(value, options);
        buffer.CopyUtf8To(utf8Output);
    }

    /// <summary>
    /// Writes <paramref name="value"/> as one JSON value of a <see cref="Utf8JsonWriter"/> (for
    /// example as a property value of a larger response being written with System.Text.Json).
    /// </summary>
    public static void Write(BsonValue value, Utf8JsonWriter writer, ExtendedJsonMode mode = ExtendedJsonMode.Relaxed)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var options = mode == ExtendedJsonMode.Canonical ? ExtendedJsonWriterOptions.Canonical : ExtendedJsonWriterOptions.Relaxed;
        using var buffer = Render(value, options);
        writer.WriteRawValue(buffer.Written, skipInputValidation: true);
    }

    /// <summary>Parses text holding one JSON object into a document (the top-level object is never a type wrapper).</summary>
    /// <exception cref="BsonFormatException">The text is not valid Extended JSON, or not an object.</exception>
    public static BsonDocument Parse(string json, ExtendedJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new ExtendedJsonParser(json, options ?? ExtendedJsonReaderOptions.Default).ParseDocument();
    }

    /// <summary>Parses UTF-8 text (an optional byte order mark is skipped) holding one JSON object into a document.</summary>
    /// <exception cref="BsonFormatException">The bytes are not valid UTF-8 or not valid Extended JSON; the offset is in bytes.</exception>
    public static BsonDocument Parse(ReadOnlySpan<byte> utf8Json, ExtendedJsonReaderOptions? options = null)
        => (BsonDocument)ParseUtf8(utf8Json, options, document: true);

    /// <summary>
    /// Parses text holding any one JSON value: an object (which may be a type wrapper such as
    /// <c>{"$oid": "..."}</c>), array, string, number, boolean or null.
    /// </summary>
    /// <exception cref="BsonFormatException">The text is not valid Extended JSON.</exception>
    public static BsonValue ParseValue(string json, ExtendedJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new ExtendedJsonParser(json, options ?? ExtendedJsonReaderOptions.Default).ParseSingleValue();
    }

    /// <summary>Parses UTF-8 text holding any one JSON value (see <see cref="ParseValue(string, ExtendedJsonReaderOptions?)"/>).</summary>
    /// <exception cref="BsonFormatException">The bytes are not valid UTF-8 or not valid Extended JSON; the offset is in bytes.</exception>
    public static BsonValue ParseValue(ReadOnlySpan<byte> utf8Json, ExtendedJsonReaderOptions? options = null)
        => ParseUtf8(utf8Json, options, document: false);

    /// <summary>Like <see cref="Parse(string, ExtendedJsonReaderOptions?)"/> but reports failure instead of throwing.</summary>
    public static bool TryParse(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BsonDocument? document, out BsonFormatException? error, ExtendedJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            document = Parse(json, options);
            error = null;
            return true;
        }
        catch (BsonFormatException e)
        {
            document = null;
            error = e;
            return false;
        }
    }

    private static JsonTextBuffer Render(BsonValue value, ExtendedJsonWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var buffer = new JsonTextBuffer();
        try
        {
            new ExtendedJsonWriter(buffer, options).WriteValue(value);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static BsonValue ParseUtf8(ReadOnlySpan<byte> utf8, ExtendedJsonReaderOptions? options, bool document)
    {
        var bom = utf8.StartsWith("\uFEFF"u8) ? 3 : 0;
        var bytes = utf8[bom..];
        var rented = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 1));
        try
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes, rented, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new BsonFormatException(bom + read, "The input is not valid UTF-8.");
            }

            var text = rented.AsSpan(0, written);
            try
            {
                var parser = new ExtendedJsonParser(text, options ?? ExtendedJsonReaderOptions.Default);
                return document ? parser.ParseDocument() : parser.ParseSingleValue();
            }
            catch (BsonFormatException e)
            {
                // Report the byte offset of the character the parser stopped at.
                var charOffset = (int)Math.Min(e.Offset, written);
                throw new BsonFormatException(bom + StrictUtf8.GetByteCount(text[..charOffset]), e.Reason, e);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
