using System.Globalization;
using System.Runtime.InteropServices;

namespace DistributedSync.SystemBench.Reporting;

/// <summary>What the figures were measured on: cores, CPU model, RAM, OS, runtime, date and load.</summary>
internal static class MachineFacts
{
    /// <summary>One line for the top of the output and of the Markdown file.</summary>
    public static string Describe()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var memKb = ReadField("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var ram = long.TryParse(memKb, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb)
            ? string.Create(CultureInfo.InvariantCulture, $"{kb / 1024.0 / 1024.0:F1} GiB RAM")
            : "RAM unknown";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Machine: {Environment.ProcessorCount} cores ({cpu}), {ram}, {RuntimeInformation.OSDescription}. .NET {Environment.Version}. Load average: {LoadAverage()}.");
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', parts.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string? ReadField(string path, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim() == name)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: leave the field unknown.
        }

        return null;
    }
}
