"""Places: every place mention resolved offline to a country, a GeoNames id and coordinates
(gazetteer.py holds the data, resolver.py the rules that choose between namesakes)."""
