using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.Mongo.Connections;

/// <summary>
/// The <c>client</c> document of the handshake (MongoDB handshake specification):
/// <c>{driver: {name, version}, os: {type, name, architecture, version}, platform, application: {name}}</c>,
/// kept within the 512-byte limit by dropping optional fields.
/// </summary>
public static class ClientMetadata
{
    /// <summary>The most bytes the encoded document may take.</summary>
    public const int MaxSize = 512;

    /// <summary>The most UTF-8 bytes an application name may take.</summary>
    public const int MaxApplicationNameBytes = 128;

    /// <summary>The driver name sent to servers.</summary>
    public const string DriverName = "DistributedSync.Mongo";

    /// <summary>The driver version sent to servers (the assembly's informational version).</summary>
    public static string DriverVersion { get; } = ReadVersion();

    /// <summary>Builds the document for an optional application name.</summary>
    /// <exception cref="ArgumentException">The application name exceeds 128 UTF-8 bytes.</exception>
    public static BsonDocument Create(string? applicationName)
    {
        if (applicationName is not null && Encoding.UTF8.GetByteCount(applicationName) > MaxApplicationNameBytes)
        {
            throw new ArgumentException($"The application name must not exceed {MaxApplicationNameBytes} UTF-8 bytes.", nameof(applicationName));
        }

        var full = Build(applicationName, fullOs: true, platform: true);
        if (BsonCodec.GetEncodedSize(full) <= MaxSize)
        {
            return full;
        }

        var noPlatform = Build(applicationName, fullOs: true, platform: false);
        if (BsonCodec.GetEncodedSize(noPlatform) <= MaxSize)
        {
            return noPlatform;
        }

        return Build(applicationName, fullOs: false, platform: false);
    }

    /// <summary>The handshake's <c>os.type</c>: Linux, Darwin, Windows, BSD or Unknown.</summary>
    public static string OsType()
    {
        if (OperatingSystem.IsLinux())
        {
            return "Linux";
        }

        if (OperatingSystem.IsMacOS())
        {
            return "Darwin";
        }

        if (OperatingSystem.IsWindows())
        {
            return "Windows";
        }

        return OperatingSystem.IsFreeBSD() ? "BSD" : "Unknown";
    }

    private static BsonDocument Build(string? applicationName, bool fullOs, bool platform)
    {
        var doc = new BsonDocument();
        if (applicationName is not null)
        {
            doc.Add("application", new BsonDocument("name", applicationName));
        }

        doc.Add("driver", new BsonDocument { { "name", DriverName }, { "version", DriverVersion } });
        var os = new BsonDocument("type", OsType());
        if (fullOs)
        {
            os.Add("name", RuntimeInformation.OSDescription);
            os.Add("architecture", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant());
            os.Add("version", Environment.OSVersion.Version.ToString());
        }

        doc.Add("os", os);
        if (platform)
        {
            doc.Add("platform", RuntimeInformation.FrameworkDescription);
        }

        return doc;
    }

    private static string ReadVersion()
    {
        var assembly = typeof(ClientMetadata).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus > 0 ? informational[..plus] : informational;
        }

        return assembly.GetName().Version?.ToString() ?? "0.0.0";
    }
}
