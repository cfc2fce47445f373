using System.Buffers;
using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DistributedSync.Daemon.Http;

/// <summary>
/// Reads a request body as Extended JSON (relaxed or canonical), refusing bodies over the
/// configured limit (413), non-JSON content types (415) and malformed JSON (400).
/// </summary>
public static class RequestBody
{
    /// <summary>The deepest nesting accepted in bodies and filters.</summary>
    public const int MaxDepth = 128;

    /// <summary>How request JSON is parsed.</summary>
    public static readonly ExtendedJsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Reads and parses the body as one JSON value.</summary>
    /// <param name="context">The request.</param>
    /// <param name="maxBytes">The body size limit.</param>
    /// <exception cref="ApiException">Too large, not JSON, empty or malformed.</exception>
    public static async Task<BsonValue> ReadJsonAsync(HttpContext context, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckContentType(context.Request);
        var bytes = await ReadBytesAsync(context.Request, maxBytes, context.RequestAborted).ConfigureAwait(false);
        if (bytes.Length == 0 || bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            throw ApiException.BadRequest(ApiErrors.InvalidBody, "The request body is empty; send a JSON value.");
        }

        try
        {
            return ExtendedJson.ParseValue(bytes, ReaderOptions);
        }
        catch (BsonFormatException ex)
        {
            throw ApiException.BadRequest(ApiErrors.InvalidBody, "The request body is not valid JSON: " + ex.Message);
        }
    }

    /// <summary>Reads and parses the body, which must be one JSON object.</summary>
    /// <exception cref="ApiException">As <see cref="ReadJsonAsync"/>, or the value is not an object.</exception>
    public static async Task<BsonDocument> ReadDocumentAsync(HttpContext context, long maxBytes)
    {
        var value = await ReadJsonAsync(context, maxBytes).ConfigureAwait(false);
        return value as BsonDocument
            ?? throw ApiException.BadRequest(ApiErrors.InvalidBody, $"The request body must be a JSON object, not {Describe(value)}.");
    }

    /// <summary>A short description of a value's type for error messages ("a string", "an array").</summary>
    public static string Describe(BsonValue value) => value?.Type switch
    {
        BsonType.Document => "an object",
        BsonType.Array => "an array",
        BsonType.String => "a string",
        BsonType.Boolean => "a boolean",
        BsonType.Null => "null",
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => "a number",
        null => "nothing",
        var type => "a value of type " + type,
    };

    private static void CheckContentType(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || media.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
                || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType, $"The request body must be JSON (Content-Type: application/json), not '{contentType}'.");
        }

        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType, $"The request body must be UTF-8 (got charset '{media.Charset}').");
        }
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = new ArrayBufferWriter<byte>(checked((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1));
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }
    }

    private static ApiException TooLarge(long maxBytes)
        => new(StatusCodes.Status413PayloadTooLarge, ApiErrors.PayloadTooLarge, string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {maxBytes} bytes (DistributedSync:Http:MaxRequestBodyBytes)."));
}
