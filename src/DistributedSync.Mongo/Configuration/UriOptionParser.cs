using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using DistributedSync.Mongo.Authentication;

namespace DistributedSync.Mongo.Configuration;

/// <summary>One <c>key=value</c> pair of the query, decoded; <see cref="Redact"/> when it may hold secret text.</summary>
internal readonly record struct RawOption(string Key, string Value, bool Redact);

/// <summary>
/// Turns the decoded option pairs into typed values following the connection-string spec: unknown
/// keys, invalid values (including empty integers and booleans) and repeated keys are warnings and
/// the offending value is ignored; the last valid value of a repeated key wins, except
/// <c>readPreferenceTags</c>, whose values form a list.
/// </summary>
internal sealed class UriOptionParser
{
    private static readonly string[] LegacyTrue = ["1", "yes", "y", "t"];
    private static readonly string[] LegacyFalse = ["0", "-1", "no", "n", "f"];

    private readonly List<string> _warnings;
    private readonly Dictionary<string, object> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _present = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, string Value)> _tlsValues = [];
    private readonly List<IReadOnlyDictionary<string, string>> _tagSets = [];

    internal UriOptionParser(List<string> warnings) => _warnings = warnings;

    /// <summary>Accepted values by canonical name (typed).</summary>
    internal IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>Canonical names of recognised options present in the string, whether or not their values were valid.</summary>
    internal IReadOnlySet<string> Present => _present;

    /// <summary>Every raw value given for <c>tls</c> and <c>ssl</c>, for the consistency rule.</summary>
    internal IReadOnlyList<(string Name, string Value)> TlsValues => _tlsValues;

    internal void Parse(IReadOnlyList<RawOption> options)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hasWTimeoutMS = options.Any(o => UriOptionCatalog.AsciiLower(o.Key) == "wtimeoutms");
        foreach (var option in options)
        {
            var lower = UriOptionCatalog.AsciiLower(option.Key);
            var shownKey = option.Redact ? "****" : option.Key;
            if (UriOptionCatalog.DeprecatedAliases.TryGetValue(lower, out var replacement))
            {
                if (hasWTimeoutMS)
                {
                    _warnings.Add($"The deprecated option '{shownKey}' is ignored because its replacement '{replacement}' is also given.");
                    continue;
                }

                _warnings.Add($"The option '{shownKey}' is deprecated; use '{replacement}' instead.");
                lower = UriOptionCatalog.AsciiLower(replacement);
            }

            var definition = UriOptionCatalog.Find(lower);
            if (definition is null)
            {
                _warnings.Add($"Unsupported option '{shownKey}' is ignored.");
                continue;
            }

            _present.Add(definition.Name);
            if (!seen.Add(definition.Name) && definition.Kind != UriOptionKind.TagSets)
            {
                _warnings.Add($"The option '{definition.Name}' is given more than once; the last valid value is used.");
            }

            if (definition.Name is "tls" or "ssl")
            {
                _tlsValues.Add((definition.Name, option.Value));
            }

            var shown = option.Redact || definition.Sensitive ? "****" : option.Value;
            if (TryConvert(definition, option.Value, shown, out var value, out var expectation))
            {
                _values[definition.Name] = value;
            }
            else
            {
                _warnings.Add($"Unsupported value '{shown}' for the option '{definition.Name}' is ignored: {expectation}");
            }
        }

        if (_tagSets.Count > 0)
        {
            _values["readPreferenceTags"] = _tagSets.AsReadOnly();
        }
    }

    private bool TryConvert(UriOptionDefinition definition, string text, string shown, out object value, out string expectation)
    {
        value = text;
        expectation = string.Empty;
        switch (definition.Kind)
        {
            case UriOptionKind.Boolean:
                expectation = "expected 'true' or 'false'.";
                return TryParseBoolean(definition.Name, text, out value);
            case UriOptionKind.Int32:
            case UriOptionKind.Int64:
                expectation = DescribeRange(definition);
                if (TryParseInteger(text, out var number) && number >= definition.Min && number <= definition.Max
                    && (definition.Kind == UriOptionKind.Int64 || number is >= int.MinValue and <= int.MaxValue))
                {
                    value = definition.Kind == UriOptionKind.Int32 ? (object)(int)number : number;
                    return true;
                }

                return false;
            case UriOptionKind.Choice:
                expectation = "expected one of " + string.Join(", ", definition.Choices!) + ".";
                var choice = definition.Choices!.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                value = choice ?? text;
                return choice is not null;
            case UriOptionKind.KeyValuePairs:
                expectation = "expected comma-separated 'key:value' pairs (a value cannot contain ',').";
                if (TryParsePairs(text, allowEmpty: false, out var pairs))
                {
                    value = pairs;
                    return true;
                }

                return false;
            case UriOptionKind.TagSets:
                expectation = "expected comma-separated 'key:value' pairs, or nothing for the empty tag set.";
                if (TryParsePairs(text, allowEmpty: true, out var tags))
                {
                    _tagSets.Add(tags);
                    value = tags;
                    return true;
                }

                return false;
            case UriOptionKind.StringList:
                return TryParseCompressors(text, out value, out expectation);
            case UriOptionKind.WriteConcernW:
                return TryParseW(text, out value, out expectation);
            default:
                return TryParseString(definition.Name, text, shown, out value, out expectation);
        }
    }

    private static bool TryParseString(string name, string text, string shown, out object value, out string expectation)
    {
        value = text;
        expectation = string.Empty;
        if (name == "appName" && Encoding.UTF8.GetByteCount(text) > 128)
        {
            expectation = "an application name may be at most 128 bytes of UTF-8.";
            return false;
        }

        if (name == "authMechanism")
        {
            var canonical = MongoAuthMechanisms.Canonicalize(text)
                ?? throw new MongoConnectionStringException(
                    $"The authMechanism '{shown}' is not supported; expected one of {string.Join(", ", MongoAuthMechanisms.All)}.");
            value = canonical;
        }

        return true;
    }

    private bool TryParseBoolean(string name, string text, out object value)
    {
        value = false;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            value = text.Length == 4;
            return true;
        }

        var legacyTrue = LegacyTrue.Contains(text, StringComparer.OrdinalIgnoreCase);
        if (legacyTrue || LegacyFalse.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            value = legacyTrue;
            _warnings.Add($"Deprecated boolean value '{text}' for the option '{name}'; write '{name}={(legacyTrue ? "true" : "false")}'.");
            return true;
        }

        return false;
    }

    private static bool TryParseInteger(string text, out long number)
    {
        number = 0;
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        return digits.Length is > 0 and <= 19 && !digits.ContainsAnyExcept("0123456789")
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
    }

    private static bool TryParsePairs(string text, bool allowEmpty, out IReadOnlyDictionary<string, string> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        pairs = new ReadOnlyDictionary<string, string>(result);
        if (text.Length == 0)
        {
            return allowEmpty;
        }

        foreach (var pair in text.Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return false;
            }

            result[pair[..colon]] = pair[(colon + 1)..];
        }

        return true;
    }

    private static bool TryParseW(string text, out object value, out string expectation)
    {
        value = text;
        expectation = "expected a non-negative integer, 'majority' or a tag name.";
        if (text.Length == 0)
        {
            return false;
        }

        if (TryParseInteger(text, out var n))
        {
            if (n is < 0 or > int.MaxValue)
            {
                return false;
            }

            value = WriteConcernW.FromCount((int)n);
            return true;
        }

        value = WriteConcernW.FromTag(text);
        return true;
    }

    private bool TryParseCompressors(string text, out object value, out string expectation)
    {
        expectation = "expected a comma-separated list of " + string.Join(", ", UriOptionCatalog.CompressorNames) + ".";
        var names = new List<string>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var known = UriOptionCatalog.CompressorNames.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                _warnings.Add($"Unsupported compressor '{name}' in the option 'compressors' is ignored.");
            }
            else if (!names.Contains(known))
            {
                names.Add(known);
            }
        }

        value = names.AsReadOnly();
        return true;
    }

    private static string DescribeRange(UriOptionDefinition d) => (d.Min, d.Max) switch
    {
        (0, long.MaxValue) => "expected a non-negative integer.",
        (1, long.MaxValue) => "expected a positive integer.",
        (_, long.MaxValue) => $"expected an integer of at least {d.Min}.",
        _ => $"expected an integer from {d.Min} to {d.Max}.",
    };
}
