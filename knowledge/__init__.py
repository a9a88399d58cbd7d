"""What a record is (schema, loader, glossary), the files a maintainer puts in the knowledge folder
and how they are read and checked. Imports nothing of Hosakan's other layers."""
