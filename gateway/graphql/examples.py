"""Example queries for planners: GraphiQL's default tab, docs/graphql.md and the tests run
these same texts, so an example that stops working fails a test."""

from __future__ import annotations

SEGMENT_OVERVIEW = """\
# A segment's items with their suppliers (and their open findings) and the order lines
# not yet received. Variables: {"segment": "FAST"}
query SegmentOverview($segment: ID!) {
  segment(id: $segment) {
    name
    serviceLevelTarget
    policy { forecastMethods reviewCycleDays }
    itemCount
    openFindingCount
    items(first: 100) {
      nodes {
        id
        description
        critical
        sources {
          share
          isPrimary
          supplier { id name tier openFindingCount }
        }
        purchaseOrderLines(openOnly: true, first: 10) {
          totalCount
          nodes { poNumber lineNumber quantity receivedQuantity openQuantity requestedDate }
        }
      }
    }
  }
}"""

SEGMENT_HEALTH = """\
# Segment health: items at risk of stockout in the next 4 weeks (on hand + open orders due
# - consensus forecast below safety stock), worst shortfall first, 50 a page (continue with
# after: endCursor), with their primary suppliers' OTIF. Variables: {"segment": "FAST"}
query SegmentHealth($segment: ID!) {
  segment(id: $segment) {
    name
    atRisk(weeks: 4) {
      items(first: 50) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          itemId description onHand onOrder demand safetyStock projected shortfall stockout
          supplierId
        }
      }
      suppliers { id name scorecard(segmentId: $segment) { period otif otifTrend rank peerCount } }
    }
  }
}"""

OPEN_CRITICAL_FINDINGS = """\
# Critical and error findings still open in a segment, newest first.
query OpenFindings($segment: ID) {
  findings(
    filter: {segmentId: $segment, severities: [CRITICAL, ERROR], states: [OPEN, ACKNOWLEDGED]}
    first: 20
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { fingerprint rule severity state message lastSeen supplier { id name } }
  }
  findingSummary(filter: {segmentId: $segment}) { rule severity state count }
}"""

LATE_ORDERS = """\
# A supplier's open purchase orders placed in a period, with what was shipped against them.
query SupplierOpenOrders($supplier: ID) {
  purchaseOrders(
    filter: {supplierId: $supplier, status: OPEN, orderedFrom: "2026-01-01"}
    sort: ORDER_DATE
    first: 10
  ) {
    nodes {
      poNumber orderDate status
      lines { buyerItem quantity openQuantity }
      shipNotices(first: 5) { nodes { shipmentId shipDate expectedDelivery } }
    }
  }
}"""

PARTNER_HEALTH = """\
# Integration: the partner channels that need attention.
query UnhealthyPartners {
  partnerHealth(filter: {onlyUnhealthy: true}) {
    nodes {
      partnerId documentType activeEndpoint queueDepth deadLetters
      errorRateLastHour overdueAcks lastError
    }
  }
}"""

ACKNOWLEDGE = """\
# Take ownership of a finding; errors come back as typed results, not exceptions.
mutation Acknowledge($fingerprint: String!) {
  acknowledgeFinding(fingerprint: $fingerprint, note: "looking into it") {
    __typename
    ... on FindingChanged { finding { fingerprint state changedAt } }
    ... on UserError { message code }
    ... on InvalidInput { field }
  }
}"""

EXAMPLES = {
    "SegmentHealth": SEGMENT_HEALTH,
    "SegmentOverview": SEGMENT_OVERVIEW,
    "OpenFindings": OPEN_CRITICAL_FINDINGS,
    "SupplierOpenOrders": LATE_ORDERS,
    "UnhealthyPartners": PARTNER_HEALTH,
    "Acknowledge": ACKNOWLEDGE,
}

HEADER = """\
# Supplier collaboration gateway: GraphQL for planners.
# Put your API key in the Headers tab: {"Authorization": "Bearer gw_..."}
# Pick an operation with the run button's menu; set its variables below.
"""


def default_tab() -> str:
    """GraphiQL's first tab: every example, each a named operation."""
    return HEADER + "\n" + "\n\n".join(EXAMPLES.values()) + "\n"
