// A monthly cost budget on the resource group (every resource of the deployment is in it). A budget
// stops nothing: it emails, when the month's actual cost passes 80 % of the amount, and when the
// month's forecast passes 100 %, which under a flood comes days before the actual cost does.
// maximumInstanceCount bounds each function group, not the bill (infra/README.md, "What a flood
// can cost"): this is what tells the owner early.

@description('Name of the budget.')
param name string

@description('Amount a month, in the billing account\'s currency.')
@minValue(1)
param amount int

@description('First day of the budget\'s first month (yyyy-MM-01). The Budgets API refuses to change it once the budget exists, so it is kept once per environment.')
param startDate string

@description('Where the notifications go; empty: to the Owners of the resource group.')
param contactEmail string

var contactEmails = empty(contactEmail) ? [] : [contactEmail]
var contactRoles = empty(contactEmail) ? ['Owner'] : []

resource budget 'Microsoft.Consumption/budgets@2026-06-01' = {
  name: name
  properties: {
    category: 'Cost'
    amount: amount
    timeGrain: 'Monthly'
    timePeriod: {
      startDate: startDate
    }
    notifications: {
      actualAbove80Percent: {
        enabled: true
        operator: 'GreaterThan'
        threshold: 80
        thresholdType: 'Actual'
        contactEmails: contactEmails
        contactRoles: contactRoles
      }
      forecastAbove100Percent: {
        enabled: true
        operator: 'GreaterThan'
        threshold: 100
        thresholdType: 'Forecasted'
        contactEmails: contactEmails
        contactRoles: contactRoles
      }
    }
  }
}

output name string = budget.name
