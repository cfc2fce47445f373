using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary>
/// <c>$regex</c> (or a regex literal): strings and symbols matching the PCRE pattern; a BSON
/// regex value matches only when its pattern and options are identical.
/// </summary>
internal sealed class RegexPredicate : LeafPredicate
{
    /// <summary>How long one match may run before the query fails.</summary>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentDictionary<(string Pattern, string Options), Regex> Cache = new();
    private readonly Regex _regex;

    public RegexPredicate(string pattern, string options)
    {
        if (pattern.Contains('\0', StringComparison.Ordinal))
        {
            throw QueryException.BadValue("Regular expression cannot contain an embedded null byte");
        }

        Pattern = pattern;
        Options = SortOptions(options);
        _regex = GetRegex(pattern, Options);
    }

    public string Pattern { get; }

    public string Options { get; }

    public override bool Test(BsonValue? value) => value switch
    {
        BsonString s => IsMatch(_regex, s.Value),
        BsonSymbol sym => IsMatch(_regex, sym.Name),
        BsonRegularExpression r => r.Pattern == Pattern && r.Options == Options,
        _ => false,
    };

    /// <summary>Matches with the timeout turned into a query error.</summary>
    internal static bool IsMatch(Regex regex, string input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw QueryException.BadValue("Regular expression matching exceeded the time limit: " + regex);
        }
    }

    /// <summary>Compiles (and caches) a PCRE pattern with mongod's option letters as a .NET regex.</summary>
    internal static Regex GetRegex(string pattern, string options)
    {
        if (Cache.TryGetValue((pattern, options), out var cached))
        {
            return cached;
        }

        var regexOptions = RegexOptions.CultureInvariant;
        foreach (var c in options)
        {
            regexOptions |= c switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                'u' => RegexOptions.None,
                _ => throw new QueryException(51108, "invalid flag in regex options: " + c),
            };
        }

        Regex regex;
        try
        {
            regex = new Regex(Translate(pattern), regexOptions, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new QueryException(51091, "Regular expression is invalid: " + e.Message);
        }

        if (Cache.Count > 1000)
        {
            Cache.Clear();
        }

        Cache[(pattern, options)] = regex;
        return regex;
    }

    private static string SortOptions(string options)
    {
        var chars = options.ToCharArray();
        Array.Sort(chars);
        return new string(chars);
    }

    /// <summary>
    /// Rewrites the PCRE constructs .NET spells differently: <c>\Q...\E</c> quoting,
    /// <c>(?P&lt;name&gt;</c> and <c>(?P=name)</c> named groups, and POSIX classes such as
    /// <c>[[:alpha:]]</c>. Everything else is passed through.
    /// </summary>
    internal static string Translate(string pattern)
    {
        if (!pattern.Contains("\\Q", StringComparison.Ordinal)
            && !pattern.Contains("(?P", StringComparison.Ordinal)
            && !pattern.Contains("[:", StringComparison.Ordinal))
        {
            return pattern;
        }

        var sb = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                if (pattern[i + 1] == 'Q')
                {
                    var end = pattern.IndexOf("\\E", i + 2, StringComparison.Ordinal);
                    var literal = end < 0 ? pattern[(i + 2)..] : pattern[(i + 2)..end];
                    sb.Append(Regex.Escape(literal));
                    i = end < 0 ? pattern.Length : end + 1;
                    continue;
                }

                sb.Append(c).Append(pattern[i + 1]);
                i++;
                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var close = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0 && PosixClass(pattern[(i + 2)..close]) is { } replacement)
                    {
                        sb.Append(replacement);
                        i = close + 1;
                        continue;
                    }
                }

                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append('^');
                    i++;
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    sb.Append("\\]");
                    i++;
                }

                continue;
            }

            if (c == '(' && string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                sb.Append("(?<");
                i += 3;
                continue;
            }

            if (c == '(' && string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0)
            {
                var close = pattern.IndexOf(')', i);
                if (close > 0)
                {
                    sb.Append("\\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                    i = close;
                    continue;
                }
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string? PosixClass(string name) => name switch
    {
        "alpha" => "a-zA-Z",
        "digit" => "0-9",
        "alnum" => "a-zA-Z0-9",
        "upper" => "A-Z",
        "lower" => "a-z",
        "space" => "\\s",
        "blank" => " \\t",
        "punct" => "!-/:-@\\[-`{-~",
        "xdigit" => "0-9A-Fa-f",
        "word" => "\\w",
        "cntrl" => "\\x00-\\x1f\\x7f",
        "print" => "\\x20-\\x7e",
        "graph" => "\\x21-\\x7e",
        _ => null,
    };
}
