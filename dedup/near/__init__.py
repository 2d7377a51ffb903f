"""near"""
