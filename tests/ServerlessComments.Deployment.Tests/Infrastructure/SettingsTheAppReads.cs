using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerlessComments.Deployment.Tests.Infrastructure;

/// <summary>
/// The settings the app reads, found by running its own wiring (AddCommentServices and the adapters' Add…) over a
/// configuration that records every key asked of it: each options class the app binds, under the
/// section it binds it from, property by property. Renaming a property, a section or an options
/// class, or adding one, changes this list with no change to the tests.
/// </summary>
public static class SettingsTheAppReads
{
    public sealed record Setting(string Section, PropertyInfo Property)
    {
        /// <summary>The app setting's name in Azure: Section__Key.</summary>
        public string Name => $"{Section}__{Property.Name}";

        /// <summary>What the app uses when the setting is absent.</summary>
        public object? Default => Property.GetValue(Activator.CreateInstance(Property.DeclaringType!));
    }

    /// <summary>The options classes the app binds from configuration.</summary>
    public static IReadOnlyList<Type> OptionsTypes { get; } = BoundOptionsTypes(Services(new ConfigurationBuilder().Add(new RecordingSource(null)).Build()));

    public static IReadOnlyList<Setting> All { get; } = Find();

    private static IReadOnlyList<Setting> Find()
    {
        var settings = new List<Setting>();
        foreach (var type in OptionsTypes)
        {
            // First the section: the binder lists the children of the section it binds from…
            var sections = Record(type, probe: null).Children;
            var section = Assert.Single(sections);
            // …then, once that section has something in it, it reads each property's key.
            foreach (var key in Record(type, probe: section).Reads.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var parts = key.Split(ConfigurationPath.KeyDelimiter);
                if (parts.Length != 2 || !string.Equals(parts[0], section, StringComparison.OrdinalIgnoreCase))
                    continue;
                var property = type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                if (property is { CanWrite: true } && property.SetMethod!.IsPublic)
                    settings.Add(new Setting(section, property));
            }
        }
        return settings;
    }

    /// <summary>The sections listed and the keys read while the app binds one options class.</summary>
    private static (IReadOnlyList<string> Children, IReadOnlyList<string> Reads) Record(Type type, string? probe)
    {
        var recorder = new RecordingSource(probe);
        var configuration = new ConfigurationBuilder().Add(recorder).Build();
        using var provider = Services(configuration).BuildServiceProvider();
        recorder.Provider.Children.Clear();
        recorder.Provider.Reads.Clear();
        // Binding happens when the options are first asked for.
        var options = typeof(IOptions<>).MakeGenericType(type);
        _ = options.GetProperty(nameof(IOptions<object>.Value))!.GetValue(provider.GetRequiredService(options));
        return (recorder.Provider.Children.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), recorder.Provider.Reads.ToList());
    }

    private static IServiceCollection Services(IConfiguration configuration) =>
        new ServiceCollection().AddLogging().AddCommentServices(configuration)
            .AddAzureStorage(configuration).AddAkismet(configuration).AddEmail(configuration);

    private static IReadOnlyList<Type> BoundOptionsTypes(IServiceCollection services) =>
        services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>)
                            && d.ImplementationInstance?.GetType() is { IsGenericType: true } implementation
                            && implementation.GetGenericTypeDefinition() == typeof(NamedConfigureFromConfigurationOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Distinct()
            .ToList();

    private sealed class RecordingSource(string? probe) : IConfigurationSource
    {
        public RecordingProvider Provider { get; } = new(probe);
        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
    }

    private sealed class RecordingProvider(string? probe) : ConfigurationProvider
    {
        public List<string> Children { get; } = [];
        public List<string> Reads { get; } = [];

        public override void Load()
        {
            // AddAzureStorage wants a storage account to register its clients for; nothing is sent to it.
            Data["AzureWebJobsStorage:accountName"] = "recorder";
            if (probe is not null)
                Data[ConfigurationPath.Combine(probe, "probe")] = "";
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (parentPath is not null)
                Children.Add(parentPath);
            return base.GetChildKeys(earlierKeys, parentPath);
        }

        public override bool TryGet(string key, out string? value)
        {
            Reads.Add(key);
            return base.TryGet(key, out value);
        }
    }
}
