using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DistributedSync.Emulator.Hosting;

/// <summary>
/// Reads an emulator config file (<c>--config</c>): either a subset of mongod's YAML format or
/// the same structure as a JSON object. The result is flat: dotted keys (<c>net.port</c>) to
/// text values.
/// </summary>
/// <remarks>
/// <para>The YAML subset: nested block mappings by indentation (spaces only), <c>key: value</c>
/// scalars that are plain, <c>"double quoted"</c> (with <c>\"</c>, <c>\\</c>, <c>\n</c>,
/// <c>\t</c> escapes) or <c>'single quoted'</c> (<c>''</c> for a quote), and <c>#</c>
/// comments. Sequences, anchors, multi-line scalars and flow collections are not supported.</para>
/// <para>Recognised keys (anything else is an error, as in mongod):</para>
/// <code>
/// net:
///   port: 27117                 # 0 picks a free port
///   bindIp: 127.0.0.1,::1       # comma-separated
///   bindIpAll: false
///   maxIncomingConnections: 1000
/// storage:
///   dbPath: data/node1
///   syncEveryCommit: false      # emulator extension: fsync every commit
/// security:
///   authorization: enabled      # or disabled
/// systemLog:
///   destination: file           # with path; omit for stdout
///   path: logs/node1.log
///   logAppend: true             # accepted; the log is always appended
///   quiet: false
/// emulator:                     # emulator extension: the root user created/updated at start
///   user: admin
///   password: "secret"
/// </code>
/// </remarks>
public static class ConfigFile
{
    /// <summary>Every key the file may set.</summary>
    public static IReadOnlySet<string> KnownKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "net.port", "net.bindIp", "net.bindIpAll", "net.maxIncomingConnections",
        "storage.dbPath", "storage.syncEveryCommit",
        "security.authorization",
        "systemLog.destination", "systemLog.path", "systemLog.logAppend", "systemLog.quiet",
        "emulator.user", "emulator.password",
    };

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not valid or sets an unknown key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyDictionary<string, string> Load(string path)
        => Parse(File.ReadAllText(path, Encoding.UTF8));

    /// <summary>Parses config text (YAML subset, or JSON when it starts with <c>{</c>).</summary>
    /// <exception cref="FormatException">The text is not valid or sets an unknown key.</exception>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = text.TrimStart().StartsWith('{') ? ParseJson(text) : ParseYaml(text);
        foreach (var key in values.Keys)
        {
            if (!KnownKeys.Contains(key))
            {
                throw new FormatException("Unrecognized option: " + key);
            }
        }

        return values;
    }

    private static Dictionary<string, string> ParseJson(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(text);
            Flatten(json.RootElement, string.Empty, values);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The config file is not valid JSON: " + ex.Message, ex);
        }

        return values;
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> values)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(value, key, values);
                    break;
                case JsonValueKind.String:
                    values[key] = value.GetString()!;
                    break;
                case JsonValueKind.Number:
                    values[key] = value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    values[key] = value.GetBoolean() ? "true" : "false";
                    break;
                default:
                    throw new FormatException($"The config option '{key}' must be a string, number, boolean or object.");
            }
        }
    }

    private static Dictionary<string, string> ParseYaml(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);

        // The open mappings: each entry is the indentation of its keys and its dotted path.
        var stack = new List<(int Indent, string Path)> { (0, string.Empty) };
        var expectDeeper = false;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var lineNumber = n + 1;
            var line = StripComment(lines[n], lineNumber);
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var leading = line.Length - line.TrimStart(' ', '\t').Length;
            if (line.AsSpan(0, leading).Contains('\t'))
            {
                throw Error(lineNumber, "tabs cannot indent YAML");
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            if (content.StartsWith('-') || content.StartsWith('[') || content.StartsWith('{'))
            {
                throw Error(lineNumber, "sequences and flow collections are not supported");
            }

            if (expectDeeper)
            {
                if (indent <= stack[^1].Indent)
                {
                    throw Error(lineNumber, $"the mapping '{stack[^1].Path}' is empty");
                }

                stack[^1] = (indent, stack[^1].Path);
                expectDeeper = false;
            }
            else
            {
                while (stack.Count > 1 && indent < stack[^1].Indent)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                if (indent != stack[^1].Indent)
                {
                    throw Error(lineNumber, "unexpected indentation");
                }
            }

            var colon = FindKeyColon(content);
            if (colon <= 0)
            {
                throw Error(lineNumber, "expected 'key: value'");
            }

            var name = Unquote(content[..colon].Trim(), lineNumber);
            var path = stack[^1].Path.Length == 0 ? name : stack[^1].Path + "." + name;
            var rest = content[(colon + 1)..].Trim();
            if (rest.Length == 0)
            {
                stack.Add((indent, path));
                expectDeeper = true;
                continue;
            }

            if (!values.TryAdd(path, Unquote(rest, lineNumber)))
            {
                throw Error(lineNumber, $"duplicate key '{path}'");
            }
        }

        if (expectDeeper)
        {
            throw new FormatException($"The config file's mapping '{stack[^1].Path}' is empty.");
        }

        return values;
    }

    // The colon that ends the key: the first one followed by a space or the end, outside quotes.
    private static int FindKeyColon(string content)
    {
        var quote = '\0';
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ':' && (i + 1 == content.Length || content[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private static string StripComment(string line, int lineNumber)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
            {
                return line[..i];
            }
        }

        return quote == '\0' ? line : throw Error(lineNumber, "unterminated quoted string");
    }

    private static string Unquote(string value, int lineNumber)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            var builder = new StringBuilder(value.Length);
            for (var i = 1; i < value.Length - 1; i++)
            {
                var c = value[i];
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (++i >= value.Length - 1)
                {
                    throw Error(lineNumber, "a backslash ends the quoted string");
                }

                builder.Append(value[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    _ => throw Error(lineNumber, $"unsupported escape '\\{value[i]}'"),
                });
            }

            return builder.ToString();
        }

        if (value[0] is '"' or '\'')
        {
            throw Error(lineNumber, "unterminated quoted string");
        }

        return value;
    }

    private static FormatException Error(int line, string reason)
        => new(string.Create(CultureInfo.InvariantCulture, $"The config file is not valid (line {line}): {reason}."));
}
