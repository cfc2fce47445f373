using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace DistributedSync.Daemon.Configuration;

/// <summary>
/// Binds <see cref="DistributedSyncOptions"/> from configuration after checking the raw values:
/// every key must name an option, and numbers and booleans must parse. Problems do not throw;
/// they are kept and reported by <see cref="DistributedSyncOptionsValidator"/> with the full key
/// (<c>DistributedSync:Election:HeartbeatIntervalMs: 'fast' is not an integer.</c>), together
/// with every other rule broken, when the daemon starts.
/// </summary>
public static class DistributedSyncOptionsBinder
{
    /// <summary>Binds a fresh instance from the <c>DistributedSync</c> section of <paramref name="configuration"/>.</summary>
    public static DistributedSyncOptions Bind(IConfiguration configuration)
    {
        var options = new DistributedSyncOptions();
        BindInto(options, configuration);
        return options;
    }

    /// <summary>Binds <paramref name="options"/> from the <c>DistributedSync</c> section of <paramref name="configuration"/>.</summary>
    public static void BindInto(DistributedSyncOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(DistributedSyncOptions.SectionName);
        var problems = new List<string>();
        Check(section, typeof(DistributedSyncOptions), problems);
        if (problems.Count > 0)
        {
            options.ConfigurationErrors.AddRange(problems);
            return;
        }

        section.Bind(options);
    }

    private static void Check(IConfigurationSection section, Type type, List<string> problems)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                var known = string.Join(", ", properties.Keys.Order(StringComparer.Ordinal));
                problems.Add($"{child.Path}: unknown key (the keys of {section.Path} are: {known}).");
                continue;
            }

            CheckValue(child, property.PropertyType, problems);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> problems)
    {
        var value = section.Value;
        if (type == typeof(string))
        {
            return;
        }

        if (type == typeof(int) || type == typeof(long))
        {
            var ok = value is not null && (type == typeof(int)
                ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
            if (!ok)
            {
                problems.Add($"{section.Path}: {Shown(value)} is not an integer.");
            }

            return;
        }

        if (type == typeof(bool))
        {
            if (value is null || !bool.TryParse(value, out _))
            {
                problems.Add($"{section.Path}: {Shown(value)} is not true or false.");
            }

            return;
        }

        if (ElementType(type) is { } element)
        {
            if (value is not null && value.Length > 0)
            {
                problems.Add($"{section.Path}: must be a list ({section.Path}:0:..., {section.Path}:1:...), not a single value.");
                return;
            }

            foreach (var item in section.GetChildren())
            {
                if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{item.Path}: list entries are numbered 0, 1, 2, ... ('{item.Key}' is not an index).");
                    continue;
                }

                CheckValue(item, element, problems);
            }

            return;
        }

        if (value is not null && value.Length > 0)
        {
            problems.Add($"{section.Path}: is a group of settings, not a single value.");
            return;
        }

        Check(section, type, problems);
    }

    private static Type? ElementType(Type type)
        => type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;

    private static string Shown(string? value) => value is null ? "a group of settings" : $"'{value}'";
}
