using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>What bounds the bill and what tells the operator something is wrong: the instance size
/// and scale ceiling, the budget, the action group and the two alert rules.</summary>
public sealed partial class CostAndAlertTests
{
    private const string Budgets = "Microsoft.Consumption/budgets";
    private const string ActionGroups = "Microsoft.Insights/actionGroups";
    private const string QueryRules = "Microsoft.Insights/scheduledQueryRules";
    private const string MetricAlerts = "Microsoft.Insights/metricAlerts";
    private const string OwnerEmail = "owner@example.com";

    [Fact]
    public async Task Instances_have_512_mb_unless_the_operator_says_otherwise()
    {
        // 512 MB is enough for this app (table reads and queue sends) and costs a quarter of 2,048 MB
        // per billed second; infra/README.md has the arithmetic.
        var infra = await Infra.GetAsync();
        var parameter = infra.Template["parameters"]!["instanceMemoryMB"]!;
        Assert.Equal(512, (int)parameter["defaultValue"]!);
        Assert.Equal([512, 2048, 4096], parameter["allowedValues"]!.AsArray().Select(v => (int)v!));
        Assert.Equal(512, (int)DefaultParameter(infra, "instanceMemoryMB")!);
        Assert.Equal("`512`", ReadmeParameterRow("INSTANCE_MEMORY_MB")[2]);
    }

    [Fact]
    public async Task The_scale_ceiling_is_the_samples_40_within_the_documented_range()
    {
        // Documented: "the lowest maximum instance count value is 1, and the highest supported
        // maximum instance count value is 1000" (40 during the preview), and the count applies to
        // each per-function scale group, not to the app (Event-driven scaling, "Limit scale-out").
        var infra = await Infra.GetAsync();
        var parameter = infra.Template["parameters"]!["maximumInstanceCount"]!;
        Assert.Equal(40, (int)parameter["defaultValue"]!);
        Assert.Equal(1, (int)parameter["minValue"]!);
        Assert.Equal(1000, (int)parameter["maxValue"]!);
        Assert.Equal(40, (int)DefaultParameter(infra, "maximumInstanceCount")!);
        Assert.Contains("each", (string)parameter["metadata"]!["description"]!);
    }

    [Fact]
    public async Task A_monthly_budget_on_the_resource_group_emails_the_owner_at_80_percent_actual_and_100_percent_forecast()
    {
        var infra = await Infra.GetAsync();
        var budget = infra.Single(Budgets);
        Assert.StartsWith($"/subscriptions/{Infra.SubscriptionId}/resourceGroups/{Infra.ResourceGroup}/providers/Microsoft.Consumption/budgets/", Infra.Id(budget));
        var properties = budget["properties"]!;
        Assert.Equal("Cost", (string?)properties["category"]);
        Assert.Equal("Monthly", (string?)properties["timeGrain"]);
        Assert.Equal(Infra.MonthlyBudget, (int)properties["amount"]!);
        // Fixed once per environment: the Budgets API refuses to change a budget's start date, so a
        // start computed at each deployment would fail every deployment after the first month.
        Assert.Equal(Infra.BudgetStartDate, (string?)properties["timePeriod"]!["startDate"]);

        var notifications = properties["notifications"]!.AsObject().Select(p => p.Value!.AsObject()).ToList();
        Assert.Equal(2, notifications.Count);
        var actual = Assert.Single(notifications, n => (string?)n["thresholdType"] == "Actual");
        var forecast = Assert.Single(notifications, n => (string?)n["thresholdType"] == "Forecasted");
        Assert.Equal(80, (int)actual["threshold"]!);
        Assert.Equal(100, (int)forecast["threshold"]!);
        Assert.All(notifications, n =>
        {
            Assert.True((bool)n["enabled"]!);
            Assert.Equal("GreaterThan", (string?)n["operator"]);
            Assert.Equal([OwnerEmail], n["contactEmails"]!.AsArray().Select(e => (string)e!));
        });

        // Defaults an operator gets without setting anything.
        Assert.Equal(30, (int)infra.Template["parameters"]!["monthlyBudget"]!["defaultValue"]!);
        Assert.Equal(30, (int)DefaultParameter(infra, "monthlyBudget")!);
    }

    [Fact]
    public async Task The_budget_starts_this_month_when_no_start_date_was_kept()
    {
        // az deployment without BUDGET_START_DATE: the first day of the deployment's month.
        var infra = await Infra.GetAsync();
        Assert.Equal("", (string?)DefaultParameter(infra, "budgetStartDate"));
        var budgetModule = infra.Module("budget");
        Assert.Equal("[if(empty(parameters('budgetStartDate')), createObject('value', parameters('firstDayOfThisMonth')), createObject('value', parameters('budgetStartDate')))]",
            (string?)budgetModule["properties"]!["parameters"]!["startDate"]);
        Assert.Equal("[utcNow('yyyy-MM-01')]", (string?)infra.Template["parameters"]!["firstDayOfThisMonth"]!["defaultValue"]);
    }

    [Fact]
    public async Task The_action_group_emails_the_owner()
    {
        var infra = await Infra.GetAsync();
        var group = infra.Single(ActionGroups);
        Assert.Equal("global", (string?)group["location"]);
        var properties = group["properties"]!;
        Assert.True((bool)properties["enabled"]!);
        var receiver = Assert.Single(properties["emailReceivers"]!.AsArray())!;
        Assert.Equal(OwnerEmail, (string?)receiver["emailAddress"]);
        Assert.True((bool)receiver["useCommonAlertSchema"]!);
        Assert.Empty(properties["armRoleReceivers"]!.AsArray());

        // The alert address defaults to the owner's (OWNER_EMAIL); ALERT_EMAIL sets another.
        Assert.Equal("[parameters('blog').ownerEmail]", (string?)infra.Template["parameters"]!["alertEmail"]!["defaultValue"]);
        Assert.Equal(OwnerEmail, (string?)infra.Parameters["parameters"]!["alertEmail"]!["value"]);
    }

    [Fact]
    public async Task A_poison_message_raises_a_metric_alert_within_15_minutes()
    {
        // A metric alert on the app's gauge: billed per monitored series, far below a log search
        // rule every 5 minutes (docs/deployment.md), and it queries as nobody.
        var infra = await Infra.GetAsync();
        var rule = Assert.Single(infra.Resources(MetricAlerts));
        Assert.StartsWith("alert-comments-poison-", Infra.Name(rule), StringComparison.Ordinal);
        Assert.DoesNotContain(infra.Resources(QueryRules), r => Infra.Name(r).StartsWith("alert-comments-poison-", StringComparison.Ordinal));
        Assert.Equal("global", (string?)rule["location"]);
        var properties = rule["properties"]!;
        Assert.Equal([Infra.Id(infra.Single("Microsoft.Insights/components"))], properties["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.True((bool)properties["enabled"]!);
        Assert.True((bool)properties["autoMitigate"]!);
        Assert.Equal("PT5M", (string?)properties["evaluationFrequency"]);
        Assert.Equal("PT15M", (string?)properties["windowSize"]);
        Assert.Equal([Infra.Id(infra.Single(ActionGroups))], properties["actions"]!.AsArray().Select(a => (string)a!["actionGroupId"]!));

        var criteria = properties["criteria"]!;
        Assert.Equal("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", (string?)criteria["odata.type"]);
        var criterion = Assert.Single(criteria["allOf"]!.AsArray())!;
        // The app's OpenTelemetry gauge, as the Azure Monitor exporter names it in Application Insights.
        Assert.Equal("azure.applicationinsights", (string?)criterion["metricNamespace"]);
        Assert.Equal("comments.poison.depth", (string?)criterion["metricName"]);
        Assert.Equal("Maximum", (string?)criterion["timeAggregation"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int)criterion["threshold"]!);
        // The metric appears only once an instance reported it: without this the first deployment fails.
        Assert.True((bool)criterion["skipMetricValidation"]!);
    }

    [Fact]
    public async Task A_failure_rate_above_the_threshold_raises_an_alert()
    {
        var infra = await Infra.GetAsync();
        var rule = Rule(infra, "failures");
        var properties = rule["properties"]!;
        AssertOnApplicationInsights(infra, rule);
        // Every 15 minutes, the cheapest frequency of a log search rule: a third of the 5-minute price.
        Assert.Equal("PT15M", (string?)properties["evaluationFrequency"]);
        Assert.Equal("PT15M", (string?)properties["windowSize"]);

        var criterion = Assert.Single(properties["criteria"]!["allOf"]!.AsArray())!;
        var query = (string)criterion["query"]!;
        // Every function execution is a row of requests (HTTP or queue or timer); 4xx answers are the
        // API refusing bad input, not failures of the app.
        Assert.StartsWith("requests", query);
        Assert.Contains("countif(success == false and not(resultCode startswith \"4\"))", query);
        Assert.Contains($"failed * 100.0 / total > {Infra.FailureRatePercent}", query);
        Assert.Contains("total >= 20", query);
        Assert.Equal("Count", (string?)criterion["timeAggregation"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int)criterion["threshold"]!);

        Assert.Equal(5, (int)infra.Template["parameters"]!["failureRatePercent"]!["defaultValue"]!);
        Assert.Equal(5, (int)DefaultParameter(infra, "failureRatePercent")!);
    }

    [Fact]
    public async Task Every_variable_main_bicepparam_reads_is_documented_and_scrubbed_from_the_tests_environment()
    {
        await Task.CompletedTask;
        var bicepparam = File.ReadAllText(Path.Combine(BicepCli.InfraFolder, "main.bicepparam"));
        var read = ReadVariable().Matches(bicepparam).Select(m => m.Groups["name"].Value).Distinct().Order().ToList();
        Assert.Contains("MONTHLY_BUDGET", read);
        Assert.Equal(read, BicepCli.BicepParamVariables.Order());
        Assert.All(read, name => ReadmeParameterRow(name));
    }

    // ---- helpers ----

    private static JsonNode? DefaultParameter(Infra infra, string name)
    {
        Assert.True(infra.BuildParamsWithDefaults.Diagnostics == "", infra.BuildParamsWithDefaults.Diagnostics);
        return infra.DefaultParameters["parameters"]![name]!["value"];
    }

    private static JsonObject Rule(Infra infra, string kind) =>
        Assert.Single(infra.Resources(QueryRules), r => Infra.Name(r).StartsWith($"alert-comments-{kind}-", StringComparison.Ordinal));

    private static void AssertOnApplicationInsights(Infra infra, JsonObject rule)
    {
        var properties = rule["properties"]!;
        Assert.Equal("LogAlert", (string?)rule["kind"]);
        Assert.Equal([Infra.Id(infra.Single("Microsoft.Insights/components"))], properties["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.True((bool)properties["enabled"]!);
        Assert.True((bool)properties["autoMitigate"]!);
        Assert.Equal([Infra.Id(infra.Single(ActionGroups))], properties["actions"]!["actionGroups"]!.AsArray().Select(a => (string)a!));
        // No managed identity: the rule queries with the rights of whoever last deployed it (README).
        Assert.False(rule.ContainsKey("identity"));
    }

    /// <summary>The cells of the row of infra/README.md's parameter table that documents this variable.</summary>
    private static string[] ReadmeParameterRow(string variable)
    {
        var readme = File.ReadAllLines(Path.Combine(BicepCli.InfraFolder, "README.md"));
        var row = Assert.Single(readme, l => l.StartsWith("| ", StringComparison.Ordinal) && l.Split('|')[1].Contains($"`{variable}`"));
        return row.Split('|').Skip(1).Select(c => c.Trim()).ToArray();
    }

    [GeneratedRegex(@"readEnvironmentVariable\('(?<name>[A-Z_]+)'")]
    private static partial Regex ReadVariable();
}
