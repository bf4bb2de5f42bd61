"""Worker processes: each translation unit is analysed in a supervised process
(crash and time limits contained), results come back in input order."""
