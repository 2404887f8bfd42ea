// What the operator is told, by email through one action group:
// - a message in a poison queue: the app publishes the depth of each poison queue as the
//   OpenTelemetry gauge comments.poison.depth (dimension "queue") to Application Insights; any
//   value above zero in 15 minutes raises the alert (a comment that was never
//   moderated, or an email that was never sent, waits there to be replayed);
// - a failure rate: more than failureRatePercent % of the function executions of 15 minutes
//   failed (every execution, HTTP, queue or timer, is a row of Application Insights' requests;
//   4xx answers are the API refusing bad input and do not count), once at least
//   failureRateMinimumCount executions ran, so that one failure out of two is not an alert.
//
// The poison alert is a metric alert evaluated every 5 minutes; the failure rate, a ratio that a
// metric alert cannot compute, is a log search rule evaluated every 15 minutes, the cheapest
// frequency. Both resolve by themselves once the condition is gone. The log search rule has no
// managed identity: it queries with the rights of the principal who last created or updated it,
// here whoever last ran the deployment (infra/README.md, "Alerts", has what that means and the
// alternative).

import { tagsType } from 'types.bicep'

@description('Name of the action group.')
param actionGroupName string

@description('Names of the poison-queue and failure-rate alert rules.')
param poisonRuleName string
param failureRuleName string

@description('Azure region of the alert rules.')
param location string

@description('Tags for the resources.')
param tags tagsType

@description('Resource id of the Application Insights component the rules query.')
param applicationInsightsId string

@description('Where alerts are emailed; empty: to the subscription\'s Owners (Azure Resource Manager role receiver).')
param email string

@description('Percentage of failed executions over 15 minutes above which the failure alert fires.')
@minValue(1)
@maxValue(100)
param failureRatePercent int

@description('Fewest executions in 15 minutes for the failure rate to count.')
@minValue(1)
param failureRateMinimumCount int

// Built-in role: Owner, the fallback receivers when no email is given.
var ownerRoleId = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'comments'
    enabled: true
    emailReceivers: empty(email)
      ? []
      : [
          {
            name: 'owner'
            emailAddress: email
            useCommonAlertSchema: true
          }
        ]
    armRoleReceivers: empty(email)
      ? [
          {
            name: 'subscription-owners'
            roleId: ownerRoleId
            useCommonAlertSchema: true
          }
        ]
      : []
  }
}

// A metric alert, not a log search rule: Azure Monitor bills a metric alert per monitored time
// series (one here) at a fraction of a log search rule evaluated every 5 minutes, and it needs no
// one's rights to query (docs/deployment.md, "What it costs when nothing happens"). The gauge is a
// custom metric in Application Insights' standard namespace; it exists only once an instance has
// reported it, hence skipMetricValidation.
resource poisonRule 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: poisonRuleName
  location: 'global'
  tags: tags
  properties: {
    description: 'comments.poison.depth above 0: a comment or an email failed every retry and waits in a poison queue to be replayed (admin API; /api/health names the queue).'
    severity: 2
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'poison-depth'
          metricNamespace: 'azure.applicationinsights'
          metricName: 'comments.poison.depth'
          timeAggregation: 'Maximum'
          operator: 'GreaterThan'
          threshold: 0
          skipMetricValidation: true
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

resource failureRule 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: failureRuleName
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Comments: function executions are failing'
    description: 'More than ${failureRatePercent} % of at least ${failureRateMinimumCount} function executions failed in 15 minutes (5xx answers, exceptions, failed queue or timer runs).'
    severity: 1
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests\n| summarize total = count(), failed = countif(success == false and not(resultCode startswith "4"))\n| where total >= ${failureRateMinimumCount} and failed * 100.0 / total > ${failureRatePercent}'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

output actionGroupName string = actionGroup.name
