"""The HR (SDM) workspace under /hr/: registry, officer detail, dashboard, exports, bulk verification, officer import."""
