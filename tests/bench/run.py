"""Run every benchmark: `make bench` (set DATABASE_URL to measure PostgreSQL too)."""

from tests.bench import board_scale, city_report, jurisdiction_import, lifecycle_pages

if __name__ == "__main__":
    print("== importing the jurisdiction tree")
    jurisdiction_import.main()
    print("== committee pages: SQL statements and latency as topics grow")
    lifecycle_pages.main()
    print("== a board of 100,000 entries")
    board_scale.main()
    print("== a city report over 600 villages and 50,000 topics")
    city_report.main()
