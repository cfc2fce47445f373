using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.Json;
using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;
using Microsoft.AspNetCore.Http;

namespace DistributedSync.Daemon.Http;

/// <summary>
/// The query parameters of the API. Each route accepts a fixed set; an unknown or repeated
/// parameter is refused (400 <c>invalidParameter</c>, naming it) so that a typo never silently
/// falls back to a default.
/// </summary>
public static class QueryParameters
{
    /// <summary>The default <c>limit</c> of a document list.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest <c>limit</c>.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>The default <c>wtimeoutMS</c>: 10 s.</summary>
    public const int DefaultWTimeoutMs = 10_000;

    /// <summary>The parameters of write routes.</summary>
    public static readonly string[] WriteParameters = ["w", "wtimeoutMS"];

    /// <summary>The parameters of single-document read routes.</summary>
    public static readonly string[] ReadParameters = ["readPreference", "maxStalenessMs"];

    /// <summary>The parameters of the document list route.</summary>
    public static readonly string[] ListParameters = ["readPreference", "maxStalenessMs", "filter", "limit"];

    private static readonly string[] ReadPreferenceNames = ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"];

    private static readonly ReadPreferenceMode[] ReadPreferenceModes =
        [ReadPreferenceMode.Primary, ReadPreferenceMode.PrimaryPreferred, ReadPreferenceMode.Secondary, ReadPreferenceMode.SecondaryPreferred, ReadPreferenceMode.Nearest];

    /// <summary>Refuses parameters outside <paramref name="allowed"/> and repeated ones.</summary>
    /// <exception cref="ApiException">An unknown or repeated parameter.</exception>
    public static void CheckAllowed(IQueryCollection query, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var (name, values) in query)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                var accepted = allowed.Count == 0 ? "none" : string.Join(", ", allowed);
                throw Invalid($"Unknown query parameter '{name}' (this route accepts: {accepted}; names are case-sensitive).");
            }

            if (values.Count > 1)
            {
                throw Invalid($"Query parameter '{name}' is given {values.Count} times; give it once.");
            }
        }
    }

    /// <summary>
    /// The write concern of <c>w</c> (<c>1</c>, the default, or <c>majority</c>) and
    /// <c>wtimeoutMS</c> (a non-negative integer; default 10000; 0 waits without limit).
    /// </summary>
    /// <exception cref="ApiException">A bad value.</exception>
    public static WriteConcern WriteConcern(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var timeoutMs = OptionalInt(query, "wtimeoutMS", 0, int.MaxValue) ?? DefaultWTimeoutMs;
        var timeout = TimeSpan.FromMilliseconds(timeoutMs);
        var w = query["w"].ToString();
        return w switch
        {
            "" or "1" => new WriteConcern { W = 1, WTimeout = timeout },
            "majority" => new WriteConcern { WMode = "majority", WTimeout = timeout },
            _ => throw Invalid($"Query parameter 'w' must be 1 or majority (got '{w}')."),
        };
    }

    /// <summary>
    /// <c>readPreference</c> (primary, the default, primaryPreferred, secondary,
    /// secondaryPreferred or nearest; case-insensitive) and <c>maxStalenessMs</c> (a positive
    /// integer, not allowed with primary).
    /// </summary>
    /// <exception cref="ApiException">A bad value or combination.</exception>
    public static (ReadPreferenceMode Mode, TimeSpan? MaxStaleness) ReadPreference(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query["readPreference"].ToString();
        var mode = ReadPreferenceMode.Primary;
        if (text.Length > 0)
        {
            var index = Array.FindIndex(ReadPreferenceNames, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw Invalid($"Query parameter 'readPreference' must be one of {string.Join(", ", ReadPreferenceNames)} (got '{text}').");
            }

            mode = ReadPreferenceModes[index];
        }

        var stalenessMs = OptionalInt(query, "maxStalenessMs", 1, int.MaxValue);
        if (stalenessMs is not null && mode == ReadPreferenceMode.Primary)
        {
            throw Invalid("Query parameter 'maxStalenessMs' cannot be combined with readPreference=primary (the primary is never stale).");
        }

        return (mode, stalenessMs is int ms ? TimeSpan.FromMilliseconds(ms) : null);
    }

    /// <summary><c>filter</c>: a JSON object (relaxed or canonical Extended JSON); <c>{}</c> when absent.</summary>
    /// <exception cref="ApiException">Not a JSON object.</exception>
    public static BsonDocument Filter(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query["filter"].ToString();
        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            return ExtendedJson.Parse(text, RequestBody.ReaderOptions);
        }
        catch (BsonFormatException ex)
        {
            throw Invalid($"Query parameter 'filter' is not a JSON object: {ex.Message}");
        }
    }

    /// <summary><c>limit</c>: 1 to 10000, default 100.</summary>
    /// <exception cref="ApiException">A bad value.</exception>
    public static int Limit(IQueryCollection query)
        => OptionalInt(query, "limit", 1, MaxLimit) ?? DefaultLimit;

    private static int? OptionalInt(IQueryCollection query, string name, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        var text = values.ToString();
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var range = max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"an integer >= {min}")
                : string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}");
            throw Invalid($"Query parameter '{name}' must be {range} (got '{text}').");
        }

        return value;
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest(ApiErrors.InvalidParameter, message);
}
